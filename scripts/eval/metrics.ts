export * from "@/lib/selection/metrics"; // moved to lib/selection (the benchmark runner uses it); kept for existing importers
