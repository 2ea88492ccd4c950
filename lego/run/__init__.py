"""Running a pipeline: executor, process groups, logs, masking, caching, artifacts, history."""
