"""One error type for everything a user can get wrong; its message is a single line."""


class BptuiError(Exception):
    """Bad input: the message names the file, the key or line, what is wrong and what is right."""


class ScenarioError(BptuiError):
    pass


class DataError(BptuiError):
    pass


class PatternError(BptuiError):
    pass
