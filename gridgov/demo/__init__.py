"""A synthetic county at Fufeng's real scale, with its real town names, for demos and benchmarks."""
