"""Reference data shipped with the package: places, communities, countries, and matching them."""
