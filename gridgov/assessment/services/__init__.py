"""Every write of supervision and assessment: the scores (recomputed from the records), the
scheme's weights, supervision orders and package responsibility, one module a concern."""
