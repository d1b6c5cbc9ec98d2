/** Benchmark statistics come from the product's one statistics module, so RESULTS.md's p95 is the portal's p95. */
export { mean, median, quantile, sum, summarize, type Summary } from "@/lib/stats";
