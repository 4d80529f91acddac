"""Notifications: what waits for someone, in the app and by e-mail through an outbox.

A change that should tell someone writes an outbox row and an in-app notification in its own
transaction (outbox.py); `ripa-guard send` delivers the outbox by SMTP or GOV.UK Notify
(sending.py, backends.py). Messages carry a URN or reference, a title and a link: never a
subject's name or details (messages.py).
"""
