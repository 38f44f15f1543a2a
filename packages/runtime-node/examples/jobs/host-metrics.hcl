# A metrics agent on every client of dc1 and dc2 (a system job), with the host's view of
# processes and filesystems.
job "host-metrics" {
  type        = "system"
  datacenters = ["dc1", "dc2"]

  update {
    stagger          = "20s"
    max_parallel     = 2
    min_healthy_time = "5s"
    healthy_deadline = "2m"
  }

  group "agent" {
    network {
      port "scrape" {
        static = 9256
      }
    }

    service {
      name = "host-metrics"
      port = "scrape"
      tags = ["metrics"]

      check {
        type     = "http"
        path     = "/metrics"
        interval = "20s"
        timeout  = "4s"
      }
    }

    task "collector" {
      driver = "docker"

      config {
        image        = "registry.bookshop.test/host-metrics:0.9.0"
        network_mode = "host"
        pid_mode     = "host"
        ports        = ["scrape"]
        volumes      = ["/proc:/host/proc:ro", "/sys:/host/sys:ro"]
        args = [
          "--listen=:9256",
          "--procfs=/host/proc",
          "--sysfs=/host/sys",
        ]
      }

      resources {
        cpu    = 150
        memory = 80
      }
    }
  }
}
