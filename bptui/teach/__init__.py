"""The teaching layer between core and the screens (NumPy only, like core): the one notation
(notation.py), the formula lines with their numbers (lines.py, formula.py) and the lesson steps
(lesson.py)."""
