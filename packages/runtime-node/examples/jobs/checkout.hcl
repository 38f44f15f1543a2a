# Checkout: a high-priority service in a bridge network with its own DNS settings,
# registered in Nomad's service catalog, with a hardened container.
job "checkout" {
  datacenters = ["dc1", "dc2"]
  priority    = 90

  group "payments" {
    count = 2

    network {
      mode = "bridge"

      port "https" {
        to = 8443
      }
      port "health" {
        static = 8558
        to     = 8558
      }

      dns {
        servers  = ["10.53.0.2", "10.53.0.3"]
        searches = ["bookshop.internal"]
        options  = ["ndots:1", "timeout:2"]
      }
    }

    service {
      provider = "nomad"
      name     = "checkout"
      port     = "https"
      tags     = ["payments"]

      check {
        type     = "http"
        port     = "health"
        path     = "/ready"
        interval = "5s"
        timeout  = "1s"
      }
    }

    task "api" {
      driver = "docker"

      config {
        image              = "registry.bookshop.test/checkout:5.0.2"
        ports              = ["https", "health"]
        readonly_rootfs    = true
        pids_limit         = 256
        cap_drop           = ["ALL"]
        cap_add            = ["NET_BIND_SERVICE"]
        dns_servers        = ["10.53.0.2"]
        dns_search_domains = ["bookshop.internal"]
        volumes            = ["local/checkout.toml:/etc/checkout/checkout.toml:ro"]
        sysctl = {
          "net.ipv4.tcp_keepalive_time" = "120"
        }

        healthchecks {
          disable = true
        }

        auth {
          username = "ci-pull"
          password = "not-a-real-password"
        }
      }

      template {
        destination = "local/checkout.toml"
        data        = <<-EOT
          [ledger]
          {{- range nomadService "ledger" }}
          address = "{{ .Address }}:{{ .Port }}"
          {{- end }}
        EOT
      }

      resources {
        cpu    = 500
        memory = 384
      }
    }
  }
}
