"""The NumPy engine: networks, the step machine, data, patterns and scenarios.

Nothing in here imports a UI library; everything the app shows can be computed headless.
"""
