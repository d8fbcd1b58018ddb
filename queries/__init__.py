"""graph -> answers: named queries, analytics, rendering, exports."""
