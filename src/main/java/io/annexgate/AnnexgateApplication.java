package io.annexgate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class AnnexgateApplication {

    public static void main(String[] args) {
        SpringApplication.run(AnnexgateApplication.class, args);
    }
}
