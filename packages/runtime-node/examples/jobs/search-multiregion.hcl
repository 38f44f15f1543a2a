# Search in three regions, one region at a time; a failed region stops only itself.
job "search" {
  type = "service"

  multiregion {
    strategy {
      max_parallel = 1
      on_failure   = "fail_local"
    }

    region "eu-central" {
      count       = 2
      datacenters = ["eu-central-1"]
      meta {
        locale = "de"
      }
    }

    region "us-west" {
      count       = 3
      datacenters = ["us-west-1", "us-west-2"]
      meta {
        locale = "en"
      }
    }

    region "ap-south" {
      count       = 1
      datacenters = ["ap-south-1"]
      meta {
        locale = "hi"
      }
    }
  }

  group "query" {
    task "query" {
      driver = "docker"

      config {
        image = "registry.bookshop.test/search:8.1.0"
      }

      resources {
        cpu    = 800
        memory = 768
      }
    }
  }
}
