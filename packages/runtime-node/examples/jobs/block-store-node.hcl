# The node half of the same CSI plugin on every dc1 and dc2 client; it mounts volumes, so
# it runs privileged.
job "block-store-node" {
  datacenters = ["dc1", "dc2"]
  type        = "system"

  group "node" {
    task "plugin" {
      driver = "docker"

      config {
        image      = "registry.bookshop.test/block-store-csi:0.4.1"
        args       = ["node", "--endpoint=unix:///csi/csi.sock"]
        privileged = true
      }

      csi_plugin {
        id        = "block-store"
        type      = "node"
        mount_dir = "/csi"
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
