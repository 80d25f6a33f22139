"""Independent held-out scenario set 44: "the network and the edges"."""
