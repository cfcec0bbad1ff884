"""article-cleaner: cleaning and boilerplate removal for scraped news articles.

>>> from cleaner import clean
>>> result = clean("Le président a parlé à la presse\\n, a-t-il dit, de la situation du pays.")
>>> result.text, result.language
('Le président a parlé à la presse, a-t-il dit, de la situation du pays.\\n', 'fr')
"""
from cleaner.config import Config, load_config
from cleaner.document import Document, Edit
from cleaner.errors import CleanerError, ConfigError, InputError, RuleError
from cleaner.pipeline import Cleaner, clean
from cleaner.stage import FixedPoint, Stage

__all__ = [
    "Cleaner", "Config", "Document", "Edit", "FixedPoint", "Stage", "clean", "load_config",
    "CleanerError", "ConfigError", "InputError", "RuleError",
]
__version__ = "0.1.0"
