"""Reminders and escalation: planner, durable outbox delivery, scheduling."""
