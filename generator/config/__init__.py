"""Site configuration: ``digest.yaml``, declared and validated in one place."""
from generator.config.schema import Config, load_config, normalize_base_url

__all__ = ["Config", "load_config", "normalize_base_url"]
