"""Regional insight (agenderen): aggregates per veiligheidsregio, signals from the field."""
