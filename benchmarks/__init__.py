"""Load benchmarks: Locust scenarios driven by the variant manifests, their runner and their report section."""
