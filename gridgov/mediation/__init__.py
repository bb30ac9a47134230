"""The three-level mediation centres: centres, mediation files, documents, the three-mediation
linkage, the risk register, analysis and judgment."""
