"""The controlled vocabulary: themes, places with their regions, organisations, synonyms."""
