# The payments ledger keeps its data on a CSI volume. Until someone registers volume
# "ledger-data" with the "block-store" plugin, the scheduler cannot place it.
job "ledger" {
  datacenters = ["dc1"]

  group "db" {
    volume "ledger" {
      type            = "csi"
      source          = "ledger-data"
      read_only       = false
      access_mode     = "single-node-writer"
      attachment_mode = "file-system"
    }

    task "postgres" {
      driver = "docker"

      config {
        image = "postgres:16"
      }

      volume_mount {
        volume      = "ledger"
        destination = "/var/lib/postgresql/data"
      }

      resources {
        cpu    = 1000
        memory = 2048
      }
    }
  }
}
