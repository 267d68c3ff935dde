"""flashgroup: plan a 快闪群 (flash group) sale from one campaign file, by the method's rules (RULES.md)."""

__version__ = "0.1.0"
