# The staff console in the "staging" namespace: settings rendered from Nomad variables and
# Vault, template options, and environment built from run-time values.
job "admin-console" {
  namespace   = "staging"
  datacenters = ["dc1"]

  group "console" {
    task "ui" {
      driver = "docker"

      config {
        image = "registry.bookshop.test/admin-console:0.8.4"
      }

      env {
        ALLOC      = "${NOMAD_ALLOC_ID}"
        HOST       = "${attr.unique.hostname}"
        RACK       = "${meta.rack}"
        SHARED_DIR = "${NOMAD_ALLOC_DIR}/shared"
      }

      vault {
        policies      = ["admin-console"]
        namespace     = "bookshop"
        env           = false
        change_mode   = "signal"
        change_signal = "SIGUSR1"
      }

      template {
        destination = "secrets/vars.env"
        env         = true
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/admin-console" }}
          FEATURE_FLAGS={{ .feature_flags }}
          SUPPORT_EMAIL={{ .support_email }}
          {{- end }}
        EOT
      }

      template {
        destination          = "local/console.yaml"
        change_mode          = "signal"
        change_signal        = "SIGHUP"
        splay                = "20s"
        error_on_missing_key = true
        perms                = "0640"
        left_delimiter       = "<<"
        right_delimiter      = ">>"
        data                 = <<-EOT
          listen: << env "NOMAD_PORT_http" >>
          datacenter: << env "NOMAD_DC" >>
        EOT
      }

      template {
        source      = "local/motd.tpl"
        destination = "local/motd.txt"
        change_mode = "noop"
      }

      resources {
        cpu    = 150
        memory = 160
      }
    }
  }
}
