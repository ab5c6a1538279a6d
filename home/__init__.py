"""The pages that compose several features: the member's dashboard."""
