# Book recommendations: spread over zones with explicit targets and over racks, prefer
# high-memory clients and avoid dc2, and let memory burst above the reservation.
job "recommendations" {
  datacenters = ["dc1", "dc2"]
  priority    = 30

  group "ranker" {
    count = 6

    affinity {
      attribute = "${node.class}"
      value     = "highmem"
      weight    = 40
    }

    affinity {
      attribute = "${node.datacenter}"
      operator  = "!="
      value     = "dc2"
      weight    = -20
    }

    spread {
      attribute = "${meta.zone}"
      weight    = 80

      target "dc1-a" {
        percent = 50
      }
      target "dc1-b" {
        percent = 30
      }
      target "dc2-a" {
        percent = 20
      }
    }

    spread {
      attribute = "${meta.rack}"
      weight    = 30
    }

    task "ranker" {
      driver = "docker"

      config {
        image = "registry.bookshop.test/recommendations:3.1.0"
      }

      resources {
        cpu        = 400
        memory     = 512
        memory_max = 1024
      }
    }
  }
}
