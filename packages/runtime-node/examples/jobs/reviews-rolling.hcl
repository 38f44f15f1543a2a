# Customer reviews, updated two allocations at a time with a progress deadline, a stagger
# between batches and automatic rollback.
job "reviews" {
  datacenters = ["dc1", "dc2"]

  update {
    max_parallel      = 2
    stagger           = "15s"
    min_healthy_time  = "10s"
    healthy_deadline  = "3m"
    progress_deadline = "8m"
    auto_revert       = true
  }

  group "reviews" {
    count = 4

    task "reviews" {
      driver = "docker"

      config {
        image = "registry.bookshop.test/reviews:1.9.0"
      }

      resources {
        cpu    = 300
        memory = 256
      }
    }
  }
}
