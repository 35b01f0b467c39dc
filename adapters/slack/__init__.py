"""Slack adapter: the board's commands, DMs, mentions, shortcuts, buttons, modals and App Home, native in Slack.

``http.mount`` serves ``POST /slack/events``; ``socket.run_socket_mode`` runs
the same listeners over Socket Mode. Both are built by ``listeners.build_bolt_app``.
"""
