"""Survey: consultations, residents' responses, officers' tools and (later) results."""
