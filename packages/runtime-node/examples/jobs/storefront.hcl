# The bookshop's web storefront: a service with most of the group and task blocks a
# production job uses. Only the two us-east-1 clients offer the "data" host volume.
variable "release" {
  type    = string
  default = "4.7.1"
}

locals {
  registry = "registry.bookshop.test"
  image    = "${local.registry}/storefront:${var.release}"
}

job "storefront" {
  type        = "service"
  datacenters = ["us-east-1", "us-east-2"]

  migrate {
    health_check     = "task_states"
    max_parallel     = 2
    healthy_deadline = "2m"
    min_healthy_time = "5s"
  }

  update {
    canary           = 1
    auto_revert      = true
    max_parallel     = 1
    healthy_deadline = "4m"
    min_healthy_time = "20s"
  }

  group "web" {
    count = 8

    reschedule {
      delay_function = "fibonacci"
      delay          = "10s"
      max_delay      = "30m"
      attempts       = 5
      interval       = "12h"
      unlimited      = false
    }

    volume "uploads" {
      type      = "host"
      source    = "data"
      read_only = false
    }

    network {
      port "admin" {
        to = 3001
      }
      port "http" {
        to = 3000
      }
    }

    service {
      name = "storefront"
      port = "http"
      tags = ["web", "urlprefix-/shop"]

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "inventory"
              local_bind_port  = 7000
            }
          }
        }
      }

      check {
        type     = "http"
        path     = "/healthz"
        interval = "15s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver       = "docker"
      kill_signal  = "SIGINT"
      kill_timeout = "45s"

      config {
        image = local.image
        ports = ["http", "admin"]

        labels {
          team = "storefront"
          tier = "frontend"
        }

        logging {
          type = "json-file"
          config {
            max-file = "5"
            max-size = "20m"
          }
        }

        ulimit {
          nofile = "32768:32768"
        }
      }

      env {
        INVENTORY_ADDR = "${NOMAD_UPSTREAM_ADDR_inventory}"
        NODE_ENV       = "production"
        RELEASE        = var.release
      }

      resources {
        cpu    = 600
        memory = 700
      }

      volume_mount {
        volume      = "uploads"
        destination = "/srv/uploads"
      }

      template {
        destination = "secrets/app.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          {{- with secret "kv/data/storefront" }}
          SESSION_KEY={{ .Data.data.session_key }}
          {{- end }}
          {{- range service "cache" }}
          CACHE_URL=redis://{{ .Address }}:{{ .Port }}
          {{- end }}
        EOT
      }

      vault {
        policies = ["storefront"]
      }

      restart {
        mode     = "fail"
        attempts = 2
        delay    = "20s"
        interval = "10m"
      }

      logs {
        max_file_size = 25
        max_files     = 4
      }
    }

    task "log-forwarder" {
      driver = "docker"

      lifecycle {
        sidecar = true
        hook    = "poststart"
      }

      config {
        image = "${local.registry}/log-forwarder:2"
      }

      resources {
        cpu    = 50
        memory = 96
      }
    }
  }
}
