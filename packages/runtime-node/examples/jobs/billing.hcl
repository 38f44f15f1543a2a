# Invoicing on the JVM: a jar fetched at start, JVM flags that read the port Nomad picked,
# and a group network set up by a named CNI configuration.
job "billing" {
  datacenters = ["dc2"]

  group "invoices" {
    network {
      mode = "cni/bookshop-overlay"

      port "http" {
        to = 8081
      }
    }

    task "invoicer" {
      driver = "java"

      artifact {
        source      = "https://files.bookshop.test/billing/invoicer-2.3.0.jar"
        destination = "local/"
      }

      config {
        jar_path    = "local/invoicer-2.3.0.jar"
        jvm_options = ["-Xms256m", "-Xmx768m", "-Dhttp.port=${NOMAD_PORT_http}"]
        args        = ["--currency", "EUR"]
      }

      resources {
        cpu    = 1200
        memory = 1024
      }
    }
  }
}
