"""The codebooks the app ships, as JSON data files (read by survey.core.coding.load_codebook)."""
