"""Chart builders, one module per chapter. Each returns a finished Altair chart (title, axes
with units, source line) built from the package's computations, so notebooks only call them."""
