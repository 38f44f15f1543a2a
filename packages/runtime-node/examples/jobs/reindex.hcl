# Nightly search reindex: a periodic batch job that downloads its settings and reads
# database credentials from Vault.
job "reindex" {
  datacenters = ["dc2"]
  type        = "batch"

  meta {
    index = "books-v3"
  }

  periodic {
    crons            = ["30 2 * * *"]
    time_zone        = "Europe/Berlin"
    prohibit_overlap = true
  }

  group "indexer" {
    count = 1

    ephemeral_disk {
      sticky  = true
      migrate = true
      size    = 2000
    }

    task "rebuild" {
      driver = "docker"

      artifact {
        source      = "https://files.bookshop.test/reindex/settings.json"
        destination = "local/settings/"
        options {
          checksum = "sha256:0f4c6b3d2a1e9f8c7b6a5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a"
        }
      }

      config {
        image   = "registry.bookshop.test/reindex:2.0.3"
        command = "/opt/reindex/bin/run"
        args    = ["--index", "${NOMAD_META_index}", "--settings", "local/settings/settings.json"]
      }

      resources {
        cpu    = 2500
        memory = 3072
      }

      template {
        destination = "secrets/db.env"
        env         = true
        data        = <<-EOT
          {{- with secret "database/creds/reindex" }}
          PGUSER={{ .Data.username }}
          PGPASSWORD={{ .Data.password }}
          {{- end }}
        EOT
      }

      vault {
        policies = ["reindex", "read-catalog"]
      }
    }
  }
}
