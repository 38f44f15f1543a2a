# Wishlists, released blue/green: as many canaries as allocations, promoted by hand; the
# canaries register with their own tags.
job "wishlist" {
  datacenters = ["dc2"]

  update {
    canary       = 3
    max_parallel = 3
    auto_promote = false
    auto_revert  = true
  }

  group "wishlist" {
    count = 3

    network {
      port "http" {}
    }

    service {
      name        = "wishlist"
      port        = "http"
      tags        = ["live", "v2"]
      canary_tags = ["candidate", "v3"]

      check {
        type     = "http"
        path     = "/ping"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "wishlist" {
      driver = "docker"

      config {
        image = "registry.bookshop.test/wishlist:3.0.0"
        ports = ["http"]
      }

      resources {
        cpu    = 200
        memory = 192
      }
    }
  }
}
