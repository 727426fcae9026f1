"""Speed and memory of gdviz against naive baselines. Run with ``make bench``."""
