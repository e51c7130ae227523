"""The runtime: everything a run needs around a network, the same in every Keras Classics project.

A library the lesson uses, as it uses Keras: read the project's lesson.py first; REFERENCE.md beside
this file says what the runtime offers and what a lesson gives it (lesson.Lesson). Never rendered by
the template, byte-identical in every project, tested once in the template repository.
"""

__version__ = "1.0.0"
