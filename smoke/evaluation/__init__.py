"""Measuring quality: ranking and lead-time metrics against a world's ground truth."""
