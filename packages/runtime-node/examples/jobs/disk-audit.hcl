# A one-off audit on every dc1 client (sysbatch) with the exec driver and a downloaded binary.
job "disk-audit" {
  type        = "sysbatch"
  datacenters = ["dc1"]

  group "audit" {
    task "scan" {
      driver = "exec"

      artifact {
        source      = "https://files.bookshop.test/tools/disk-audit-linux-amd64"
        destination = "local/disk-audit"
        mode        = "file"
        headers {
          X-Release-Channel = "stable"
        }
      }

      config {
        command  = "local/disk-audit"
        args     = ["--report", "${NOMAD_ALLOC_DIR}/data/report.json"]
        pid_mode = "private"
        ipc_mode = "host"
      }

      resources {
        cpu    = 300
        memory = 128
      }
    }
  }
}
