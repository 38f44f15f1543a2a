# Inventory: a service mesh member with two upstreams, proxy settings, an exposed health
# path, a sized sidecar, and a Consul registration with several kinds of checks. New
# versions go out as one canary that is promoted automatically.
job "inventory" {
  datacenters = ["dc1", "dc2"]

  update {
    canary           = 1
    auto_promote     = true
    auto_revert      = true
    max_parallel     = 1
    min_healthy_time = "15s"
    healthy_deadline = "3m"
  }

  group "stock" {
    count = 3

    network {
      mode = "bridge"

      port "api" {
        to = 7000
      }
      port "rpc" {
        to = 7001
      }
    }

    service {
      name = "inventory"
      port = "7000"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "catalog-db"
              local_bind_port  = 3306
            }
            upstreams {
              destination_name = "cache"
              local_bind_port  = 6380
            }

            config {
              protocol                 = "http"
              local_connect_timeout_ms = 3000
            }

            expose {
              path {
                path            = "/livez"
                protocol        = "http"
                local_path_port = 7000
                listener_port   = "api"
              }
            }
          }
        }

        sidecar_task {
          resources {
            cpu    = 80
            memory = 64
          }
        }
      }
    }

    service {
      provider    = "consul"
      name        = "inventory-rpc"
      port        = "rpc"
      tags        = ["rpc", "v5"]
      canary_tags = ["rpc", "canary"]

      tagged_addresses {
        lan_rpc = "10.20.0.15"
      }

      meta {
        owner = "stock-team"
      }

      check {
        name     = "rpc-alive"
        type     = "tcp"
        interval = "10s"
        timeout  = "2s"
      }

      check {
        name            = "rpc-health"
        type            = "grpc"
        interval        = "15s"
        timeout         = "3s"
        grpc_service    = "bookshop.inventory.v5.Health"
        grpc_use_tls    = true
        tls_server_name = "inventory.bookshop.internal"

        check_restart {
          limit           = 2
          grace           = "30s"
          ignore_warnings = true
        }
      }
    }

    task "stock" {
      driver = "docker"

      config {
        image = "registry.bookshop.test/inventory:5.3.0"
      }

      env {
        DB_ADDR    = "${NOMAD_UPSTREAM_ADDR_catalog_db}"
        CACHE_ADDR = "${NOMAD_UPSTREAM_ADDR_cache}"
      }

      resources {
        cpu    = 700
        memory = 512
      }
    }
  }
}
