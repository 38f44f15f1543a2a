# The catalog database on the client that offers the "mysql-data" host volume, and a cache
# whose scratch disk follows it between allocations.
job "catalog-db" {
  datacenters = ["dc1"]

  group "mysql" {
    volume "tables" {
      type      = "host"
      source    = "mysql-data"
      read_only = false
    }

    task "mysqld" {
      driver = "docker"

      config {
        image = "mysql:8.4"
      }

      volume_mount {
        volume      = "tables"
        destination = "/var/lib/mysql"
        read_only   = false
      }

      resources {
        cpu    = 1500
        memory = 4096
      }
    }
  }

  group "cache" {
    ephemeral_disk {
      size    = 800
      sticky  = true
      migrate = true
    }

    task "redis" {
      driver = "docker"

      config {
        image = "redis:7.2"
        args  = ["--dir", "/alloc/data", "--appendonly", "yes"]
      }

      resources {
        cpu    = 200
        memory = 256
      }
    }
  }
}
