"""The advice desk (/advies): private questions to the platform's advisers or a sparring partner."""
