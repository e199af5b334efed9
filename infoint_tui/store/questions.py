"""The question bank's seed: TIARA (Trends, Insights, Advice, Resources, Assignments), paraphrased.

Source: shared/DOMAIN.md §1.4. Stored in the database at the first migration so the user can edit it.
"""

from __future__ import annotations

from typing import Final

SEED_QUESTIONS: Final[tuple[tuple[str, str, bool], ...]] = (
    ("Their story", "How did you get started in this field?", False),
    ("Their story", "What are you working on right now?", False),
    ("Their story", "What do you enjoy most about your role?", False),
    ("Trends", "What changes are shaping your industry or team right now?", False),
    ("Trends", "How is that changing what people in your role do?", False),
    ("Insights", "What surprised you most after you joined?", False),
    ("Insights", "What do people outside misunderstand about this work?", False),
    ("Insights", "What does a typical week look like?", False),
    ("Advice", "If you were in my position, what would you do next?", False),
    ("Advice", "Given my background, how could I best use it here?", False),
    ("Advice", "What do you wish you had done differently early on?", False),
    ("Resources", "Which people, groups, events or reading should I look into?", False),
    ("Resources", "Who else should I talk to?", True),
    ("Assignments", "What kinds of projects or problems take most of your time?", False),
    ("Assignments", "Which challenges have been most rewarding?", False),
    ("Wrap-up", "Is there anything I should have asked but didn't?", False),
    ("Wrap-up", "May I keep you posted on how I use your advice?", False),
)
