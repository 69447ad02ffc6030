"""wa_agents: AI agents on WhatsApp numbers."""
