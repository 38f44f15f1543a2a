# Exports orders on demand (a parameterized batch job): a prestart task fetches, the main
# task uploads; dispatch supplies the period and, optionally, the format.
job "order-export" {
  datacenters = ["dc2"]
  type        = "batch"

  parameterized {
    payload       = "forbidden"
    meta_required = ["period"]
    meta_optional = ["format"]
  }

  group "export" {
    count = 1

    restart {
      attempts = 1
      interval = "20m"
      delay    = "5s"
      mode     = "fail"
    }

    ephemeral_disk {
      size = 1500
    }

    task "fetch" {
      driver = "docker"

      lifecycle {
        hook    = "prestart"
        sidecar = false
      }

      config {
        image   = "registry.bookshop.test/order-export:1.1.0"
        command = "/bin/fetch-orders"
        args    = ["--period", "${NOMAD_META_period}", "--out", "${NOMAD_ALLOC_DIR}/data/orders.ndjson"]
      }

      resources {
        cpu    = 500
        memory = 512
      }
    }

    task "upload" {
      driver = "docker"

      config {
        image   = "registry.bookshop.test/order-export:1.1.0"
        command = "/bin/upload-orders"
        args    = ["--in", "${NOMAD_ALLOC_DIR}/data/orders.ndjson", "--format", "${NOMAD_META_format}"]
      }

      resources {
        cpu    = 300
        memory = 256
      }
    }
  }
}
