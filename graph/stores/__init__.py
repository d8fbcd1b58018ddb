"""Store backends, one module each: the embedded networkx store and the Neo4j store."""
