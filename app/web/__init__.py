"""Request plumbing shared by every blueprint: access rules, navigation, errors, headers,
downloads, URLs, language, links and the shared result page."""
