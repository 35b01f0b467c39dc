"""Platform adapters: console, Slack, Teams, the web server and the CLI."""
