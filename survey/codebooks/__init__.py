"""The codebooks the app ships, as JSON data files (read by survey.coding.load_codebook)."""
