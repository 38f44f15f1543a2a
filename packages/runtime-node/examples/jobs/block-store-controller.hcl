# The controller half of a CSI plugin, as a service job.
job "block-store-controller" {
  datacenters = ["dc2"]
  type        = "service"

  group "controller" {
    task "plugin" {
      driver = "docker"

      config {
        image = "registry.bookshop.test/block-store-csi:0.4.1"
        args  = ["controller", "--endpoint=unix:///csi/csi.sock"]
      }

      csi_plugin {
        id        = "block-store"
        type      = "controller"
        mount_dir = "/csi"
      }

      resources {
        cpu    = 100
        memory = 96
      }
    }
  }
}
