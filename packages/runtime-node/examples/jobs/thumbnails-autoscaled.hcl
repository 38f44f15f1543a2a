# Thumbnail workers scaled by the autoscaler: a horizontal policy on the group with three
# checks, and a vertical CPU policy on the task.
job "thumbnails" {
  datacenters = ["dc2"]

  group "workers" {
    count = 2

    scaling {
      enabled = true
      min     = 1
      max     = 12

      policy {
        cooldown            = "2m"
        evaluation_interval = "20s"

        check "cpu" {
          source = "prometheus"
          query  = "avg(nomad_client_allocs_cpu_total_percent{task='resize'})"

          strategy "target-value" {
            target = 65
          }
        }

        check "backlog" {
          source = "prometheus"
          query  = "sum(thumbnail_queue_length)"

          strategy "threshold" {
            lower_bound = 0
            upper_bound = 500
            delta       = 1
          }
        }
      }
    }

    task "resize" {
      driver = "docker"

      config {
        image = "registry.bookshop.test/thumbnails:0.12.0"
      }

      resources {
        cpu    = 500
        memory = 256
      }

      scaling "cpu" {
        enabled = true
        min     = 250
        max     = 2000

        policy {
          check "p95-cpu" {
            strategy "app-sizing-percentile" {
              percentile = "95"
            }
          }
        }
      }
    }
  }
}
