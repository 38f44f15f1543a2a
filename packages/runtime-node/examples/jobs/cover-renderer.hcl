# Renders book covers on a GPU: node and device constraints, a device affinity, one
# allocation per host and per rack.
job "cover-renderer" {
  datacenters = ["dc1"]
  priority    = 60

  constraint {
    attribute = "${attr.kernel.version}"
    operator  = "semver"
    value     = ">= 5.10"
  }

  group "render" {
    constraint {
      attribute = "${node.class}"
      value     = "gpu-enabled"
    }

    constraint {
      operator = "distinct_hosts"
      value    = "true"
    }

    constraint {
      attribute = "${meta.rack}"
      operator  = "distinct_property"
    }

    task "renderer" {
      driver = "docker"

      config {
        image      = "registry.bookshop.test/cover-renderer:1.2.0"
        privileged = false
        runtime    = "nvidia"
      }

      resources {
        cpu    = 4000
        memory = 8192

        device "nvidia/gpu" {
          count = 1

          constraint {
            attribute = "${device.attr.memory}"
            operator  = ">="
            value     = "12 GiB"
          }

          affinity {
            attribute = "${device.model}"
            value     = "Tesla V100"
            weight    = 60
          }
        }
      }
    }
  }
}
