-- Trigram matching for the sites search box ("contains" on MPAN, postcode, address,
-- email and asset external ids); the GIN indexes using it come with the inventory tables.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
