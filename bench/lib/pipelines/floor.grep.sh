grep -c '"level":"error"'
